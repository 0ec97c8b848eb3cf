import { withoutOwner, type OwnedPendingMask, type PendingMask, type PendingMaskStore } from './pending-mask-store';

const DATABASE = 'lesionlab-editor';
/** Version 2 keys every mask by [owner, sliceId]; version 1 had no owner, so its masks are dropped. */
const VERSION = 2;
const STORE = 'pending-masks';
const BY_OWNER = 'by-owner';

/**
 * One user's pending masks in the browser's IndexedDB: they outlive a closed tab, a lost network and
 * a server restart, and another user signing in on the same browser never sees them.
 */
export class IndexedDbPendingMaskStore implements PendingMaskStore {
  private database: Promise<IDBDatabase> | null = null;

  constructor(private readonly owner: string) {}

  async get(sliceId: string): Promise<PendingMask | undefined> {
    const entry = await this.request<OwnedPendingMask | undefined>('readonly', (store) => store.get([this.owner, sliceId]));
    return entry && withoutOwner(entry);
  }

  async put(entry: PendingMask): Promise<void> {
    await this.request('readwrite', (store) => store.put({ ...entry, owner: this.owner } satisfies OwnedPendingMask));
  }

  async delete(sliceId: string): Promise<void> {
    await this.request('readwrite', (store) => store.delete([this.owner, sliceId]));
  }

  async list(): Promise<PendingMask[]> {
    const entries = await this.request<OwnedPendingMask[]>('readonly', (store) => store.index(BY_OWNER).getAll(this.owner));
    return entries.map(withoutOwner);
  }

  private open(): Promise<IDBDatabase> {
    this.database ??= new Promise((resolve, reject) => {
      const opening = indexedDB.open(DATABASE, VERSION);
      opening.onupgradeneeded = () => {
        const database = opening.result;
        if (database.objectStoreNames.contains(STORE)) database.deleteObjectStore(STORE);
        database.createObjectStore(STORE, { keyPath: ['owner', 'sliceId'] }).createIndex(BY_OWNER, 'owner');
      };
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
