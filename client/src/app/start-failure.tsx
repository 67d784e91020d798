/** Shown instead of the app when it cannot start, such as with an invalid config.json. */
export function StartFailure({ error }: { error: unknown }) {
  return (
    <main className="container narrow">
      <h1>Rock of Ages cannot start</h1>
      <div className="notice notice-error" role="alert">
        <p className="preserve-lines">{error instanceof Error ? error.message : String(error)}</p>
      </div>
    </main>
  );
}
