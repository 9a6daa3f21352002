/** The industries' indicator catalogues (监测指标目录): see CONTEXT.md. */
export * from './sources';
export * from './catalogues';
export * from './choice';
