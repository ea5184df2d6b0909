// The untrusted spec: a plain tree of what the YAML file says, with the 1-based position of every key
// and value. Later stages never see yaml's own node classes.

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface SpecScalar {
  readonly kind: 'scalar';
  readonly value: string | number | boolean | null;
  readonly pos: Position;
  readonly style: ScalarStyle;
  /** The value's text as written in the file (quotes and block headers included). */
  readonly source: string;
}

export interface SpecEntry {
  readonly key: string;
  readonly keyPos: Position;
  readonly value: SpecNode;
}

export interface SpecMap {
  readonly kind: 'map';
  readonly pos: Position;
  /** In file order; a duplicated key appears twice (the parser reports it). */
  readonly entries: readonly SpecEntry[];
}

export interface SpecSeq {
  readonly kind: 'seq';
  readonly pos: Position;
  readonly items: readonly SpecNode[];
}

export type SpecNode = SpecScalar | SpecMap | SpecSeq;

/** A mistake found while reading the YAML itself. */
export interface SpecError {
  readonly code: 'yaml-syntax' | 'duplicate-key' | 'reserved-key';
  readonly pos: Position;
  /** Key path of the offending node (`jobs.build.steps[0].run`); '' when the syntax itself is broken. */
  readonly path: string;
  readonly message: string;
}
