/**
 * Retries `attempt` until it resolves, for up to `timeoutMs`: visibility, schedules and worker
 * deployments answer a moment after the fact. Rejects with the last attempt's error.
 */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}
