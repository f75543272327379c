import { useState } from 'react';
import type { CustomerSession, PlaceOrderFromPage } from '../../src/console-api.js';
import { ChangeProblem } from './ChangeProblem';
import { useChange } from './use-change';

/**
 * Workshop mode: a customer signs in at the identity provider (the console keeps their token) and
 * places an order from the page; its timeline opens at once. Each press of the button is one
 * Idempotency-Key, so a double click places one order.
 */
export function PlaceOrderPanel({ session, onPlaced }: { session?: CustomerSession; onPlaced: (orderId: string) => void }) {
  const [sku, setSku] = useState('console-mug');
  const [quantity, setQuantity] = useState(1);
  const [price, setPrice] = useState('12.50');
  const [problem, setProblem] = useState<string>();
  const [placing, setPlacing] = useState(false);
  const signOut = useChange();
  const place = async () => {
    setPlacing(true);
    const order: PlaceOrderFromPage = { currency: 'EUR', items: [{ sku, quantity, unitPriceCents: Math.round(Number(price) * 100) }] };
    const response = await fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify(order),
    }).catch((error: Error) => error);
    setPlacing(false);
    if (response instanceof Error) return setProblem(`the console did not answer: ${response.message}`);
    const body = (await response.json().catch(() => ({}))) as { orderId?: string; detail?: string };
    if (response.status !== 201 || !body.orderId) return setProblem(body.detail ?? `orders answered HTTP ${response.status}`);
    setProblem(undefined);
    onPlaced(body.orderId);
  };
  return (
    <section className="panel place-order" aria-labelledby="place-order-title">
      <h2 id="place-order-title">Place an order</h2>
      {!session && <p className="quiet">asking the console who is signed in…</p>}
      {session && !session.signedIn && (
        <p>
          <a href="/api/session/sign-in" data-testid="sign-in">
            sign in as a customer
          </a>{' '}
          <span className="quiet">at the identity provider (demo: alice@example.com / alice-demo-password)</span>
        </p>
      )}
      {session?.signedIn && (
        <>
          <p data-testid="signed-in" data-customer-id={session.customerId}>
            signed in as <strong>{session.email ?? session.customerId}</strong>
            <button type="button" data-testid="sign-out" onClick={() => void signOut.send('POST', '/api/session/sign-out')}>
              sign out
            </button>
          </p>
          <p className="switches">
            <label>
              sku <input value={sku} maxLength={64} data-testid="order-sku" onChange={(event) => setSku(event.target.value)} />
            </label>
            <label>
              quantity <input type="number" min={1} max={100} value={quantity} data-testid="order-quantity" onChange={(event) => setQuantity(Number(event.target.value))} />
            </label>
            <label>
              unit price (EUR) <input value={price} size={8} data-testid="order-price" onChange={(event) => setPrice(event.target.value)} />
            </label>
            <button type="button" data-testid="place-order" disabled={placing} onClick={() => void place()}>
              place order
            </button>
          </p>
        </>
      )}
      <ChangeProblem problem={problem ?? signOut.problem} />
    </section>
  );
}
