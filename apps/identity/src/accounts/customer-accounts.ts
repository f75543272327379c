import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { isUniqueViolationOf } from '@faultline/shared/event-store';
import { Account } from '../entities/index.js';
import { UNKNOWN_ACCOUNT_HASH, hashPassword, verifyPassword } from './password-hashing.js';

/** The e-mail address already belongs to an account (whatever its case). */
export class EmailTakenError extends Error {
  constructor(readonly email: string) {
    super(`an account with the e-mail address ${email} already exists`);
    this.name = 'EmailTakenError';
  }
}

/** The customers who can sign in: created by sign-up, checked by the login form. */
@Injectable()
export class CustomerAccounts {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Creates an account with a new customerId. Throws EmailTakenError for an address already used. */
  async signUp(email: string, password: string, id: string = randomUUID()): Promise<Account> {
    const account = this.db.getRepository(Account).create({
      id,
      email,
      passwordHash: await hashPassword(password),
      createdAt: new Date(),
    });
    try {
      await this.db.getRepository(Account).insert(account);
    } catch (error) {
      if (isUniqueViolationOf(error, 'accounts_email_unique')) throw new EmailTakenError(email);
      throw error;
    }
    return account;
  }

  /**
   * The account these credentials sign in to, or undefined. A wrong password and an unknown
   * address take the same time and give the same answer, so neither reveals which addresses exist.
   */
  async authenticate(email: string, password: string): Promise<Account | undefined> {
    const account = await this.findByEmail(email);
    const matches = await verifyPassword(password, account?.passwordHash ?? UNKNOWN_ACCOUNT_HASH);
    return account && matches ? account : undefined;
  }

  async findById(id: string): Promise<Account | undefined> {
    if (!UUID.test(id)) return undefined;
    return (await this.db.getRepository(Account).findOneBy({ id })) ?? undefined;
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    return (
      (await this.db
        .getRepository(Account)
        .createQueryBuilder('account')
        .where('lower(account.email) = lower(:email)', { email: email.trim() })
        .getOne()) ?? undefined
    );
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
