import type { PendingMask, PendingMaskStore } from './pending-mask-store';

const DATABASE = 'lesionlab-editor';
const STORE = 'pending-masks';

/** Pending masks in the browser's IndexedDB: they outlive a closed tab, a lost network and a server restart. */
export class IndexedDbPendingMaskStore implements PendingMaskStore {
  private database: Promise<IDBDatabase> | null = null;

  async get(sliceId: string): Promise<PendingMask | undefined> {
    return this.request('readonly', (store) => store.get(sliceId));
  }

  async put(entry: PendingMask): Promise<void> {
    await this.request('readwrite', (store) => store.put(entry));
  }

  async delete(sliceId: string): Promise<void> {
    await this.request('readwrite', (store) => store.delete(sliceId));
  }

  async list(): Promise<PendingMask[]> {
    return this.request('readonly', (store) => store.getAll());
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE, 1);
      opening.onupgradeneeded = () => opening.result.createObjectStore(STORE, { keyPath: 'sliceId' });
      opening.onsuccess = () => resolve(opening.result);
      opening.onerror = () => reject(opening.error);
    });
    return this.database;
  }

  /** Runs one request in its own transaction and resolves once the transaction has committed. */
  private async request<T>(mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest): Promise<T> {
    const database = await this.open();
    return new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(STORE, mode, { durability: 'strict' });
      const request = run(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result as T);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }
}
