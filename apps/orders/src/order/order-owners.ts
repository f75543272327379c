import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ResourceOwners } from '@faultline/shared/access-control';
import { ProblemDetailsException } from '@faultline/shared/problem-details';
import { z } from 'zod';

/**
 * Who placed each order, for `@Access.ownerOf(OrderOwners, 'id')`: read from the `orders` row that
 * the order's first event commits with, on the primary, so an order is its customer's from the
 * moment `POST /orders` answers.
 */
@Injectable()
export class OrderOwners implements ResourceOwners {
  static readonly resource = 'order';

  constructor(private readonly dataSource: DataSource) {}

  isWellFormed(orderId: string): boolean {
    return z.uuid().safeParse(orderId).success;
  }

  async ownerOf(orderId: string): Promise<string | undefined> {
    const [row] = (await this.dataSource.query(`SELECT customer_id FROM orders WHERE id = $1`, [orderId])) as { customer_id: string }[];
    return row?.customer_id;
  }

  notFound(orderId: string): Error {
    return ProblemDetailsException.notFound(`There is no order with id ${orderId}.`);
  }
}
