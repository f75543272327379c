import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { ResourceOwners } from '@faultline/shared/access-control';
import { ProblemDetailsException } from '@faultline/shared/problem-details';
import { z } from 'zod';
import { BillingOrder } from '../entities/index.js';

/** Whose each order in billing's copy is, for `@Access.ownerOf(BillingOrderOwners, 'id')`. */
@Injectable()
export class BillingOrderOwners implements ResourceOwners {
  static readonly resource = 'order';

  constructor(@InjectRepository(BillingOrder) private readonly orders: Repository<BillingOrder>) {}

  isWellFormed(orderId: string): boolean {
    return z.uuid().safeParse(orderId).success;
  }

  async ownerOf(orderId: string): Promise<string | undefined> {
    return (await this.orders.findOne({ select: { customerId: true }, where: { orderId } }))?.customerId;
  }

  notFound(orderId: string): Error {
    return ProblemDetailsException.notFound(`Billing has no copy of order ${orderId} (yet).`);
  }
}
