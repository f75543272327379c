import { z } from 'zod';
import { loadConfig, port } from '@faultline/shared/config';

/** Toxiproxy's link between notifications and MailDev (infra/topology.mjs): the tests' SMTP outage switch. */
const PROXY = 'smtp';

/** Cuts and restores the SMTP link: while it is cut, new connections are refused, as in an outage. */
export class SmtpLink {
  private readonly api: string;

  constructor() {
    const env = loadConfig('notifications tests', z.object({ TOXIPROXY_PORT: port() }));
    this.api = `http://127.0.0.1:${env.TOXIPROXY_PORT}/proxies/${PROXY}`;
  }

  cut(): Promise<void> {
    return this.set(false);
  }

  restore(): Promise<void> {
    return this.set(true);
  }

  private async set(enabled: boolean): Promise<void> {
    const response = await fetch(this.api, { method: 'POST', body: JSON.stringify({ enabled }) });
    if (!response.ok) {
      throw new Error(
        `Toxiproxy refused to ${enabled ? 'restore' : 'cut'} ${PROXY}: ${response.status} ${await response.text()} — is the proxy provisioned? (\`node infra/native/cli.mjs up\`)`,
      );
    }
  }
}
