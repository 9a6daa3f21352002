/** Risk-warning escalation: the ladder as data, its validation, and the clock maths. Pure. */
export * from './ladder';
export * from './validate';
export * from './plan';
