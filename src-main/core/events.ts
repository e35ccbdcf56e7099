/** A tiny typed-enough event hub: the backend publishes, each host forwards to its renderers. */
export type Listener = (event: string, payload: unknown) => void;

export class EventHub {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: string, payload: unknown): void {
    for (const l of this.listeners) {
      try {
        l(event, payload);
      } catch {
        // One broken subscriber (a closed socket) must not stop the others.
      }
    }
  }
}
