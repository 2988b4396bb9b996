// Sends identify, track, page, screen, group and alias through the real @segment/analytics-node client, with its
// default settings except the host, then flushes. Usage: node send.mjs HOST WRITE_KEY [TRACK_TIME_ISO]
// (or the PARCOURS_HOST, PARCOURS_WRITE_KEY and PARCOURS_TRACK_TIME environment variables).
// Exits 1 when the client reports a delivery failure, so the calling test sees it.
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, trackTime] = [
  process.argv[2] ?? process.env.PARCOURS_HOST,
  process.argv[3] ?? process.env.PARCOURS_WRITE_KEY,
  process.argv[4] ?? process.env.PARCOURS_TRACK_TIME,
]
if (!host || !writeKey) {
  console.error('usage: node send.mjs HOST WRITE_KEY [TRACK_TIME_ISO]')
  process.exit(2)
}

const failures = []
const analytics = new Analytics({ writeKey, host })
analytics.on('error', (error) => failures.push(error))

const context = { locale: 'fr-FR', timezone: 'Europe/Paris', device: { type: 'ios', model: 'iPhone15,2' } }
const anon = { anonymousId: 'anon-1' } // a visitor before sign-in, then aliased to the account's id
analytics.identify({ ...anon, traits: { email: 'Ann@Example.com', plan: 'pro' }, context })
analytics.track({
  ...anon,
  event: 'Order Completed',
  properties: { total: 27.5, currency: 'EUR' },
  ...(trackTime ? { timestamp: new Date(trackTime) } : {}),
})
analytics.page({ ...anon, category: 'Docs', name: 'Getting started', properties: { url: 'https://example.com/docs' } })
analytics.screen({ ...anon, name: 'Checkout', properties: { variation: 'blue' } })
analytics.group({ ...anon, groupId: 'acct-9', traits: { name: 'Initech', employees: 329 } })
analytics.alias({ previousId: 'anon-1', userId: 'ann' })
await analytics.closeAndFlush()

if (failures.length) {
  for (const failure of failures) console.error(failure.code, failure.reason?.message ?? failure.reason ?? '')
  process.exit(1)
}
