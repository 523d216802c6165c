/**
 * The benchmark's floor: the least any worker call that reads IndexedDB can cost.
 * A bare module worker (no Comlink, no idb wrapper) that opens its own database once,
 * stores one small row, says "ready", and then answers every message with one `get`
 * in a readonly transaction.
 */
const DB_NAME = 'daily-missions-bench-floor';
const STORE = 'rows';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function put(db: IDBDatabase, key: string, value: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

const db = await open();
// About the size of one stored mission row.
await put(db, 'row', { userId: 'floor', day: '2025-07-01', templateId: 'complete-1-lesson', current: 0, target: 1, completed: false, xp: 20 });

self.onmessage = (event: MessageEvent) => {
  const request = db.transaction(STORE, 'readonly').objectStore(STORE).get('row');
  request.onsuccess = () => self.postMessage({ id: event.data, row: request.result });
  request.onerror = () => self.postMessage({ id: event.data, error: String(request.error) });
};
self.postMessage('ready');

export {};
