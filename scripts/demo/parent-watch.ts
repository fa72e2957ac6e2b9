/**
 * Noticing that the process that started us is gone. `npm run` starts scripts through `sh -c`;
 * npm forwards SIGTERM to that shell, which dies without passing it on, so the script would run
 * on as an orphan. Treating the loss of the parent as SIGTERM keeps "stop npm, everything stops".
 */

// Read at load, so a parent lost before the watch starts (say, during a build) still counts.
const originalParent = process.ppid;

/** Calls `onLost` once our parent is no longer the one we started with; never keeps us alive. */
export function onParentLost(onLost: () => void, intervalMs = 500): void {
  const check = (): boolean => process.ppid !== originalParent;
  if (check()) {
    onLost();
    return;
  }
  const timer = setInterval(() => {
    if (!check()) return;
    clearInterval(timer);
    onLost();
  }, intervalMs);
  timer.unref();
}
