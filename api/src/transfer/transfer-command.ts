export async function transferCommand(_args: string[]): Promise<number> {
  return 2;
}
