/** Fills the API with `count` more rocks through POST /rocks, a few requests at a time. */
export async function addRocks(apiUrl: string, token: string, count: number): Promise<void> {
  const headers = { Authorization: `Token ${token}`, 'Content-Type': 'application/json' };
  const typeIds = ((await (await fetch(`${apiUrl}/types`, { headers })).json()) as { id: number }[]).map((type) => type.id);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const body = { name: `Added rock ${index + 1}`, weight: ((index % 99_999) / 100 + 0.01).toFixed(2), typeId: typeIds[index % typeIds.length] };
      const response = await fetch(`${apiUrl}/rocks`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (response.status !== 201) throw new Error(`POST /rocks answered ${response.status}: ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}
