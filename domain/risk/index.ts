/**
 * The risk model (风险指数模型): see CONTEXT.md. validate.ts (zod) is not re-exported here, so a workflow that
 * imports the model maths and the damping does not bundle zod; import it from './validate'.
 */
export * from './factors';
export * from './rules';
export * from './model';
export * from './damping';
export * from './explain';
export * from './distribution';
export * from './gather';
