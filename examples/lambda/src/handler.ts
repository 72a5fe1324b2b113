import { toLambdaHandler } from '@tsgi/adapters/lambda';
import { app } from './app.js';

// API Gateway (REST with `scriptName: 'stage'`, so /prod/... routes as /...), HTTP API and
// ALB all call this one handler; each gets a result in its own shape.
export const handler = toLambdaHandler(app, { scriptName: 'stage' });
