import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Immutable, content-addressed bytes in object storage (`storageKey` = blobKey(sha256)). */
@Entity('blobs')
export class Blob {
  @PrimaryColumn('char', { length: 64 }) sha256!: string;
  @Column('bigint') size!: string;
  @Column('text', { name: 'media_type' }) mediaType!: string;
  @Column('text', { name: 'storage_key' }) storageKey!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
