export * from './errors';
export * from './events';
export * from './limits';
export * from './meta';
export * from './schemas';
export * from './signaling';
export * from './text';
export * from './views';
