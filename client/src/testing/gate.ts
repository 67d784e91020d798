/** A promise the test opens when it chooses: holds a stubbed answer back to observe the waiting state. */
export function createGate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
