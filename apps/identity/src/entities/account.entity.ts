import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A customer who can sign in. Its id is the `sub` of the customer's tokens. */
@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** As the customer typed it (trimmed); unique whatever its case. */
  @Column({ type: 'text' })
  email!: string;

  /** `scrypt$…`: see accounts/password-hashing.ts. */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
