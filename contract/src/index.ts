// One file per resource; a new route adds its schemas in a new file here and exports them below.
export * from './auth.js';
export * from './errors.js';
export * from './health.js';
export * from './ids.js';
export * from './limits.js';
export * from './rock-images.js';
export * from './rocks.js';
export * from './storable-text.js';
export * from './weight.js';
