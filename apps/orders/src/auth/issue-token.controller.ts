import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Access } from '@faultline/shared/access-control';
import { RateLimit } from '@faultline/shared/abuse-limits';
import { TokenIssuer, USER_TOKEN_AUDIENCE } from '@faultline/shared/auth';
import { ApiProblemResponse } from '@faultline/shared/problem-details';

const issueTokenRequest = z.object({ customerId: z.uuid() }).strict();
const issuedToken = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  /** Seconds until `exp`, by the issuer's clock (RFC 6749 §5.1). */
  expiresIn: z.int(),
});
type IssuedToken = z.infer<typeof issuedToken>;

/**
 * The workshop's stand-in for an identity provider (article 2): a user token for a customer, with no
 * password. Mounted only when orders started with FAULTLINE_WORKSHOP_MODE=true: outside the workshop
 * no route mints a token without a credential. A real deployment gets user tokens from its IdP and
 * keeps only the verifying half — the JWKS URL, the audience and the policy.
 */
@ApiTags('auth')
@Controller('auth/tokens')
export class IssueTokenController {
  constructor(private readonly issuer: TokenIssuer) {}

  @Post()
  @Access.public('where a client without a token gets one')
  @RateLimit('credentials')
  @HttpCode(201)
  @ApiCreatedResponse({ description: `A user token for the customer, audience "${USER_TOKEN_AUDIENCE}"`, standardSchema: issuedToken })
  @ApiProblemResponse(400, 'customerId is missing or not a UUID')
  async issue(@Body({ schema: issueTokenRequest }) { customerId }: z.infer<typeof issueTokenRequest>): Promise<IssuedToken> {
    const accessToken = await this.issuer.issue({ subject: customerId, audience: USER_TOKEN_AUDIENCE });
    return { accessToken, tokenType: 'Bearer', expiresIn: this.issuer.policy.lifetimeSeconds };
  }
}
