import { toStreamingLambdaHandler } from '@tsgi/adapters/lambda';
import { app } from './app.js';

// For a Function URL with InvokeMode RESPONSE_STREAM. The Lambda Node.js runtime defines
// the awslambda global before it loads this module.
export const handler = toStreamingLambdaHandler(app);
