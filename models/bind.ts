/** A model factory bound to whichever connection it is given (each test file uses its own database). */
import type { Connection, Model, Schema } from 'mongoose';

export const modelOn =
  <T>(name: string, schema: Schema<T>) =>
  (conn: Connection): Model<T> =>
    (conn.models[name] as Model<T> | undefined) ?? conn.model<T>(name, schema);
