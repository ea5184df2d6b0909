// aws-local-stepfunctions needs Promise.withResolvers (Node 22); the engine polyfills it at its entry,
// tests get the same so that any import order works.
import '../lib/local/polyfills';
