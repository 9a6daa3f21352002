/** Structured logs: one JSON object per line on stdout, so they can be grepped and shipped as is. */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  base: Record<string, unknown> = {},
  minLevel: Level = (process.env.LOG_LEVEL as Level) || 'info',
): Logger {
  const emit = (level: Level, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < (ORDER[minLevel] ?? 20)) return;
    const rec: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    for (const [k, v] of Object.entries(rec)) if (v instanceof Error) rec[k] = { message: v.message, stack: v.stack };
    process.stdout.write(JSON.stringify(rec) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, minLevel),
  };
}
