/**
 * Controller expectations (upstream pkg/controller/controller_utils.go
 * ControllerExpectations): how many creations/deletions a controller still waits to see
 * in its informer before it trusts the cache for a key again. Expire after 5 minutes.
 */
export class Expectations {
  private readonly m = new Map<string, { add: number; del: number; at: number }>();
  expect(key: string, add: number, del: number): void { this.m.set(key, { add, del, at: Date.now() }); }
  creationObserved(key: string): void { const e = this.m.get(key); if (e) e.add--; }
  deletionObserved(key: string): void { const e = this.m.get(key); if (e) e.del--; }
  satisfied(key: string): boolean {
    const e = this.m.get(key);
    return !e || (e.add <= 0 && e.del <= 0) || Date.now() - e.at > 5 * 60_000;
  }
  delete(key: string): void { this.m.delete(key); }
}
