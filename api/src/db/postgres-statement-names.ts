/** Far more than the API's distinct statements; PostgreSQL keeps each named statement for the connection's life. */
const MAX_NAMED_STATEMENTS = 500;

/**
 * A name per distinct SQL text, for node-postgres's named prepared statements: each connection then
 * parses and plans a statement once and afterwards only binds new values. Texts past the cap go
 * unnamed (parsed every time) rather than filling every connection's memory.
 */
export function createStatementNames(): (text: string) => string | undefined {
  const names = new Map<string, string>();
  return (text) => {
    let name = names.get(text);
    if (name === undefined && names.size < MAX_NAMED_STATEMENTS) names.set(text, (name = `rock_of_ages_${names.size + 1}`));
    return name;
  };
}
