import pg from 'pg';

/**
 * A prepared statement's execution without the per-execution Describe (R-OPS-1, issue 31).
 *
 * `pg` sends Bind, Describe (portal), Execute and Sync for every execution of a named statement, and
 * builds a row template (field names, one type parser per column) from the RowDescription that
 * comes back, every time: ~3% of Ward's CPU per guarded read, plus PostgreSQL's work to describe
 * the portal. A named statement's result columns cannot change while it exists on its connection
 * (PostgreSQL refuses an execution whose result type would change: 0A000 "cached plan must not
 * change result type"), so the description is kept per connection and statement name after the
 * first execution that asked for it (a RowDescription, or none: NoData), and later executions on
 * that connection send Bind, Execute and Sync only, reading their rows with the kept template.
 *
 * What stays as it was: each execution still binds its own values and runs the statement as
 * prepared; the first on a connection describes. Should rows arrive that do not fit the kept
 * description (a column count that differs), the query fails (fail closed), never guesses.
 *
 * The statement's text is given as a string, so pg does not copy a config object per query
 * (`cloneQueryConfig`, ~1%).
 */
interface Described {
  fields: pg.FieldDef[];
  parsers: unknown[] | undefined;
  empty: Record<string, null> | null;
}

interface Connection {
  bind(msg: unknown): void;
  close(msg: unknown): void;
  sync(): void;
}

/** pg's Result internals this class reads and sets. */
interface ResultState {
  fields: pg.FieldDef[];
  _parsers: unknown[] | undefined;
  _prebuiltEmptyResultObject: Record<string, null> | null;
}

/** pg's Query internals this class uses (lib/query.js, 8.x). */
interface QueryInternals {
  name?: string;
  values?: unknown[];
  portal: string;
  binary?: boolean;
  rows?: number;
  _result: ResultState;
  _accumulateRows?: boolean;
  _canceledDueToError: false | Error;
  hasBeenParsed(connection: Connection): boolean;
  handleError(err: Error, connection: Connection): void;
  _getRows(connection: Connection, rows?: number): void;
}

const described = new WeakMap<object, Map<string, Described>>();
// pg's own value mapping for Bind (lib/utils.js), as its Query uses it: without it, values would be sent unmapped.
const prepareValue = (pg as unknown as { utils?: { prepareValue?: unknown } }).utils?.prepareValue;
if (typeof prepareValue !== 'function') throw new Error('pg.utils.prepareValue is missing: this pg is not one prepared-query.ts was written for');
const BaseQuery = pg.Query as unknown as new (text: string, values: unknown[]) => pg.Query & QueryInternals & {
  prepare(connection: Connection): void;
  handleRowDescription(msg: { fields: pg.FieldDef[] }): void;
  handleDataRow(msg: { fields: unknown[] }): void;
  handleCommandComplete(msg: unknown, connection: Connection): void;
};

class DescribedQuery extends BaseQuery {
  /** The connection this execution was sent on, when it asked for the description (to keep it). */
  private describing: Map<string, Described> | undefined;
  private sawDescription = false;

  override prepare(connection: Connection): void {
    const kept = this.name ? described.get(connection)?.get(this.name) : undefined;
    if (!kept || !this.hasBeenParsed(connection)) {
      if (this.name) {
        let map = described.get(connection);
        if (!map) described.set(connection, (map = new Map()));
        this.describing = map;
      }
      super.prepare(connection);
      return;
    }
    const result = this._result;
    result.fields = kept.fields;
    result._parsers = kept.parsers;
    result._prebuiltEmptyResultObject = kept.empty;
    this._accumulateRows = true; // the promise's callback takes the rows
    try {
      connection.bind({ portal: this.portal, statement: this.name, values: this.values, binary: this.binary, valueMapper: prepareValue });
    } catch (err) {
      connection.close({ type: 'S', name: this.name });
      connection.sync();
      this.handleError(err as Error, connection);
      return;
    }
    this._getRows(connection, this.rows);
  }

  override handleRowDescription(msg: { fields: pg.FieldDef[] }): void {
    super.handleRowDescription(msg);
    this.sawDescription = true;
    const r = this._result;
    if (this.describing && this.name) this.describing.set(this.name, { fields: r.fields, parsers: r._parsers, empty: r._prebuiltEmptyResultObject });
  }

  override handleDataRow(msg: { fields: unknown[] }): void {
    if (!this._canceledDueToError && msg.fields.length !== this._result.fields.length) {
      this._canceledDueToError = new Error('a row does not match its statement\'s description');
      return;
    }
    super.handleDataRow(msg);
  }

  override handleCommandComplete(msg: unknown, connection: Connection): void {
    // Described, and no RowDescription before the end: the statement returns no rows (NoData).
    if (this.describing && this.name && !this.sawDescription && !this._canceledDueToError) this.describing.set(this.name, { fields: [], parsers: undefined, empty: {} });
    super.handleCommandComplete(msg, connection);
  }
}

/**
 * Runs the named statement `name` (text `text`) on `client`. On a pool, pool.query takes a client,
 * sets the query's callback and releases the client as it does for any query.
 */
export function preparedQuery(client: pg.PoolClient | pg.Pool, name: string, text: string, values: readonly unknown[]): Promise<pg.QueryResult> {
  const q = new DescribedQuery(text, values as unknown[]);
  q.name = name;
  if (client instanceof pg.Pool) return client.query(q as unknown as pg.QueryConfig);
  return new Promise((resolve, reject) => {
    (q as unknown as { callback: (err: Error | null, res: pg.QueryResult) => void }).callback = (err, res) => (err ? reject(err) : resolve(res));
    void client.query(q as unknown as pg.QueryConfig);
  });
}
