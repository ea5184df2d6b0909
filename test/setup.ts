// aws-local-stepfunctions needs Promise.withResolvers (Node 22); the engine polyfills it at its entry,
// tests get the same so that any import order works.
import '../lib/local/polyfills';

// The AWS SDK warns once per process that its 2027 releases will need Node 22; the locked versions
// run on Node 20, and the warning buries test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
