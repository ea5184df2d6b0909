/**
 * A model object while it is built key by key. The normalizer builds steps, jobs and fields this way
 * rather than spreading optional keys into a literal (`...(name !== undefined && { name })`): V8 turns
 * each such spread into a runtime call and the result into a slower object, which cost a 1 MB
 * workflow a third of its validate time.
 */
export type Writable<T> = { -readonly [K in keyof T]: T[K] };
