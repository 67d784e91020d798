import { App } from 'aws-cdk-lib';
import { addRockOfAges } from '../src/rock-of-ages-app.js';
import { readSettings } from '../src/settings.js';

const app = new App();
addRockOfAges(
  app,
  readSettings((key) => app.node.tryGetContext(key), process.env),
);
