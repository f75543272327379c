import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { Access } from '../access-control/access.decorator.js';
import { TokenIssuer } from './token-issuer.js';

/**
 * Publishes the issuer's public keys where verifiers look for them (RFC 8414's well-known path).
 * Verifiers cache it (see remote-jwks.ts), so the short max-age only bounds how stale a cache in
 * between (a proxy) may be.
 */
@ApiTags('auth')
@Access.public('verifiers fetch the keys before they can check anything')
@Controller()
export class JwksController {
  constructor(private readonly issuer: TokenIssuer) {}

  @Get('.well-known/jwks.json')
  @Header('Content-Type', 'application/jwk-set+json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOkResponse({ description: 'The JSON Web Key Set: the current signing key and not-yet-retired ones' })
  jwks(): JSONWebKeySet {
    return this.issuer.jwks();
  }
}
