import type { ComparisonOperator, ExprNode } from './ast';
import { ExpressionError, syntaxError } from './error';
import { arityProblem, resolveFunctionName, unknownFunctionReason } from './functions/catalog';
import { checkFormatString } from './functions/format';
import { tokenize, type Token } from './lexer';

/** GitHub's limit on nesting (parentheses and the tree alike): keeps every recursion over a tree shallow. */
export const MAX_DEPTH = 50;

const keywords: Readonly<Record<string, null | boolean | number>> = {
  null: null,
  true: true,
  false: false,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
};

/**
 * Parses an expression (the text between `${{` and `}}`). Precedence, loosest first:
 * `||`, `&&`, `== !=`, `< <= > >=`, `!`, then `.` `[ ]` and calls; `( )` groups.
 */
export function parseExpression(source: string): ExprNode {
  const known = parsed.get(source);
  if (known !== undefined) return known;
  const ast = parseExpressionAt(source, 0);
  if (parsed.size >= PARSED_KEPT) parsed.clear();
  parsed.set(source, ast);
  return ast;
}

// A workflow repeats its expressions (`${{ env.STAGE }}` in every step), and validation, the
// collection of names and rendering each parse a field's: the trees of recent ones are kept.
// Trees are never changed by their readers (ExprNode is read-only), so one serves every caller.
const PARSED_KEPT = 4096;
const parsed = new Map<string, ExprNode>();

/** As parseExpression, with every offset shifted by `base` (for expressions cut out of a template). */
export function parseExpressionAt(source: string, base: number): ExprNode {
  if (source.trim() === '') throw syntaxError('empty expression', base);
  return new Parser(tokenize(source, base)).parseAll();
}

class Parser {
  private position = 0;
  /** Open parentheses, brackets and `!`s: bounds the parser's own recursion. */
  private depth = 0;
  /** Depth of each built subtree (literals and names are 1): bounds evaluation's recursion. */
  private readonly depths = new WeakMap<ExprNode, number>();

  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): ExprNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.type !== 'end') throw unexpected(next);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private advance(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  private isOperator(...texts: string[]): boolean {
    const token = this.peek();
    return token.type === 'operator' && texts.includes(token.text);
  }

  private isPunctuation(text: string): boolean {
    const token = this.peek();
    return token.type === 'punctuation' && token.text === text;
  }

  private expectPunctuation(text: string): Token {
    const token = this.peek();
    if (token.type === 'punctuation' && token.text === text) return this.advance();
    const found = token.type === 'end' ? 'end of expression' : `'${token.text}'`;
    throw syntaxError(`expected '${text}' but found ${found}`, token.start);
  }

  private nested<T>(at: Token, parse: () => T): T {
    if (++this.depth > MAX_DEPTH) throw tooDeep(at.start);
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** Records a new node's depth; `at` is the token that made it (reported when it is too deep). */
  private build<T extends ExprNode>(node: T, children: readonly ExprNode[], at: number): T {
    let depth = 1;
    for (const child of children) depth = Math.max(depth, (this.depths.get(child) ?? 1) + 1);
    if (depth > MAX_DEPTH) throw tooDeep(at);
    this.depths.set(node, depth);
    return node;
  }

  private parseOr(): ExprNode {
    return this.parseLogical('||', () => this.parseAnd());
  }

  private parseAnd(): ExprNode {
    return this.parseLogical('&&', () => this.parseEquality());
  }

  private parseLogical(operator: '&&' | '||', operand: () => ExprNode): ExprNode {
    const first = operand();
    if (!this.isOperator(operator)) return first;
    const operands = [first];
    while (this.isOperator(operator)) {
      this.advance();
      operands.push(operand());
    }
    const last = operands[operands.length - 1] as ExprNode;
    return this.build({ kind: 'logical', operator, operands, start: first.start, end: last.end }, operands, first.start);
  }

  private parseEquality(): ExprNode {
    return this.parseComparisonLevel(['==', '!='], () => this.parseRelational());
  }

  private parseRelational(): ExprNode {
    return this.parseComparisonLevel(['<', '<=', '>', '>='], () => this.parseUnary());
  }

  private parseComparisonLevel(operators: ComparisonOperator[], operand: () => ExprNode): ExprNode {
    let left = operand();
    while (this.isOperator(...operators)) {
      const operatorToken = this.advance();
      const operator = operatorToken.text as ComparisonOperator;
      const right = operand();
      const node: ExprNode = { kind: 'comparison', operator, left, right, start: left.start, end: right.end };
      left = this.build(node, [left, right], operatorToken.start);
    }
    return left;
  }

  private parseUnary(): ExprNode {
    if (!this.isOperator('!')) return this.parsePostfix();
    const bang = this.advance();
    const operand = this.nested(bang, () => this.parseUnary());
    return this.build({ kind: 'not', operand, start: bang.start, end: operand.end }, [operand], bang.start);
  }

  /** `.name`, `.*`, `[index]` and `[*]` apply to names, calls, groups and earlier accesses, not to literals. */
  private parsePostfix(): ExprNode {
    const primary = this.parsePrimary();
    let node = primary.node;
    if (!primary.accessible) return node;
    while (true) {
      if (this.isPunctuation('.')) {
        const dot = this.advance();
        const name = this.advance();
        if (name.type === 'punctuation' && name.text === '*') {
          node = this.build({ kind: 'filter', object: node, start: node.start, end: name.end }, [node], dot.start);
        } else if (name.type === 'identifier') {
          const property: ExprNode = { kind: 'property', object: node, name: name.text, start: node.start, end: name.end };
          node = this.build(property, [node], dot.start);
        } else {
          throw unexpected(name);
        }
      } else if (this.isPunctuation('[')) {
        const open = this.advance();
        if (this.isPunctuation('*')) {
          this.advance();
          const close = this.expectPunctuation(']');
          node = this.build({ kind: 'filter', object: node, start: node.start, end: close.end }, [node], open.start);
        } else {
          const index = this.nested(open, () => this.parseOr());
          const close = this.expectPunctuation(']');
          node = this.build({ kind: 'index', object: node, index, start: node.start, end: close.end }, [node, index], open.start);
        }
      } else {
        return node;
      }
    }
  }

  /** A literal, a context name, a call or a group; `accessible` says whether `.` and `[ ]` may follow. */
  private parsePrimary(): { node: ExprNode; accessible: boolean } {
    const token = this.advance();
    switch (token.type) {
      case 'number':
      case 'string':
        return { node: { kind: 'literal', value: token.value, start: token.start, end: token.end }, accessible: false };
      case 'identifier':
        if (Object.hasOwn(keywords, token.text)) {
          const value = keywords[token.text] as null | boolean | number;
          return { node: { kind: 'literal', value, start: token.start, end: token.end }, accessible: false };
        }
        if (this.isPunctuation('(')) return { node: this.parseCall(token), accessible: true };
        return { node: { kind: 'context', name: token.text, start: token.start, end: token.end }, accessible: true };
      case 'punctuation':
        if (token.text === '(') {
          const node = this.nested(token, () => this.parseOr());
          this.expectPunctuation(')');
          return { node, accessible: true };
        }
        throw unexpected(token);
      default:
        throw unexpected(token);
    }
  }

  private parseCall(nameToken: Token): ExprNode {
    const name = resolveFunctionName(nameToken.text);
    if (name === undefined) throw new ExpressionError(unknownFunctionReason(nameToken.text), nameToken.start);
    const open = this.advance();
    const args: ExprNode[] = [];
    if (!this.isPunctuation(')')) {
      this.nested(open, () => {
        args.push(this.parseOr());
        while (this.isPunctuation(',')) {
          this.advance();
          args.push(this.parseOr());
        }
      });
    }
    const close = this.expectPunctuation(')');
    const problem = arityProblem(name, args.length);
    if (problem !== undefined) throw new ExpressionError(problem, nameToken.start);
    const first = args[0];
    if (name === 'format' && first?.kind === 'literal' && typeof first.value === 'string') {
      // A literal format string is checked now, so the mistake is found before anything runs.
      checkFormatString(first.value, args.length - 1, first.start);
    }
    return this.build({ kind: 'call', name, args, start: nameToken.start, end: close.end }, args, nameToken.start);
  }
}

function tooDeep(offset: number): ExpressionError {
  return syntaxError(`expression nested more than ${MAX_DEPTH} levels deep`, offset);
}

function unexpected(token: Token): ExpressionError {
  if (token.type === 'end') return syntaxError('unexpected end of expression', token.start);
  return syntaxError(`unexpected token '${token.text}'`, token.start);
}
