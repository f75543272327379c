import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '@faultline/shared/abuse-limits';
import { ApiProblemResponse, ProblemDetailsException, ProblemType } from '@faultline/shared/problem-details';
import { CustomerAccounts, EmailTakenError } from './customer-accounts.js';
import { signUpRequest, signedUpAccount, type SignUpRequest, type SignedUpAccount } from './sign-up.schema.js';

@ApiTags('accounts')
@Controller('accounts')
export class SignUpController {
  constructor(private readonly accounts: CustomerAccounts) {}

  /** A new customer: the answer's customerId is the `sub` of the tokens this customer will get. */
  @Post()
  @HttpCode(201)
  // Paced per address like a login: sign-up answers whether an address has an account (409).
  @RateLimit('credentials')
  @ApiCreatedResponse({ description: 'The account exists; sign in with the same e-mail and password', standardSchema: signedUpAccount })
  @ApiProblemResponse(400, 'Malformed JSON, or an e-mail or password that fails the schema (see `errors`)')
  @ApiProblemResponse(409, 'An account with this e-mail address (in any letter case) already exists')
  @ApiProblemResponse(429, 'Too many sign-ups or sign-ins from this address; retry after `Retry-After` seconds')
  async signUp(@Body({ schema: signUpRequest }) request: SignUpRequest): Promise<SignedUpAccount> {
    try {
      const account = await this.accounts.signUp(request.email, request.password);
      return { customerId: account.id, email: account.email };
    } catch (error) {
      if (error instanceof EmailTakenError) {
        throw new ProblemDetailsException({
          type: ProblemType.plain,
          title: 'Conflict',
          status: 409,
          detail: `An account with the e-mail address ${error.email} already exists: sign in, or sign up with another address.`,
        });
      }
      throw error;
    }
  }
}
