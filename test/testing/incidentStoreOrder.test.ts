/**
 * The stand-in's incident list is kept sorted (issue 19) instead of sorted on every request:
 * whatever is added (generated, created at any time, adopted) or removed, every list, by page
 * number or by cursor, in either order and with filters, is the order the stand-in always
 * answered: by id, newest first (`localeCompare` of the ids, as before the change).
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Random } from "effect"
import { type Incident, IncidentStore } from "../../src/testing/IncidentStore.js"

const now = 1_767_225_600

const storeOf = (count: number) =>
  Effect.map(Effect.service(Random.Random).pipe(Random.withSeed("incident-store-order")), (random) => {
    return new IncidentStore(random, now, { count, spreadSeconds: 3_600 })
  })

/** The old order: every incident sorted by `localeCompare` of the ids, newest first. */
const expectedIds = (store: IncidentStore, asc = false, keep: (i: Incident) => boolean = () => true) =>
  store
    .all()
    .filter(keep)
    .map((i) => i.incident_id)
    .sort((a, b) => (asc ? a.localeCompare(b) : b.localeCompare(a)))

const ids = (items: ReadonlyArray<Incident>) => items.map((i) => i.incident_id)

/** Every page by `p`, then every page by cursor: both must give the whole list once, in order. */
const walks = (store: IncidentStore, request: Record<string, unknown>) => {
  const byPage: Array<string> = []
  for (let p = 1; p < 1_000; p++) {
    const page = store.list({ ...request, p, limit: 7 }, now)
    byPage.push(...ids(page.items))
    if (!page.has_next_page) break
  }
  const byCursor: Array<string> = []
  let cursor: string | undefined
  for (let n = 0; n < 1_000; n++) {
    const page = store.list(
      { ...request, limit: 7, ...(cursor === undefined ? {} : { search_after_ctx: cursor }) },
      now
    )
    byCursor.push(...ids(page.items))
    if (!page.has_next_page) break
    cursor = page.search_after_ctx
  }
  return { byPage, byCursor, total: store.list({ ...request, limit: 1 }, now).total }
}

describe("the stand-in's incident list order", () => {
  it.effect("stays newest first through creations (at any time), adoptions and removals", () =>
    Effect.gen(function* () {
      const store = yield* storeOf(60)
      // Created "in the past" (before most generated incidents): inserted in the middle.
      for (const at of [now - 1_800, now - 3_500, now + 10, now - 900]) {
        store.create({ title: `created at ${at}`, incident_severity: "Critical" }, at)
      }
      const middle = expectedIds(store)[30]!
      // An adopted incident whose id sorts just after an existing one.
      store.adopt({ ...store.get(middle)!, incident_id: `${middle}0`, num: "ADOPT1" })
      for (const id of [expectedIds(store)[0]!, expectedIds(store)[10]!, expectedIds(store).at(-1)!])
        store.remove(id)
      store.remove("000000000000000000000000")

      for (const asc of [false, true]) {
        const { byPage, byCursor, total } = walks(store, asc ? { asc: true } : {})
        assert.deepStrictEqual(byPage, expectedIds(store, asc))
        assert.deepStrictEqual(byCursor, expectedIds(store, asc))
        assert.strictEqual(total, store.all().length)
      }
      const critical = (i: Incident) => i.incident_severity === "Critical"
      const filtered = walks(store, { incident_severity: "Critical" })
      assert.deepStrictEqual(filtered.byPage, expectedIds(store, false, critical))
      assert.deepStrictEqual(filtered.byCursor, expectedIds(store, false, critical))
      assert.strictEqual(filtered.total, expectedIds(store, false, critical).length)
      assert.deepStrictEqual(ids(store.all()), expectedIds(store), "all() newest first")
    })
  )

  it.effect("a cursor that is not an id of the list starts after where it would sort", () =>
    Effect.gen(function* () {
      const store = yield* storeOf(20)
      const all = expectedIds(store)
      // Sorts between the 5th and the 6th incident (newest first): the page starts at the 6th.
      const between = `${all[5]!}0`
      const page = store.list({ limit: 100, search_after_ctx: between }, now)
      assert.deepStrictEqual(ids(page.items), all.slice(5))
      assert.strictEqual(page.has_next_page, false)
      assert.deepStrictEqual(ids(store.list({ limit: 100, search_after_ctx: "zzz" }, now).items), all)
      assert.deepStrictEqual(ids(store.list({ limit: 100, search_after_ctx: "0" }, now).items), [])
    })
  )

  it.effect("info by num finds the newest incident with that num", () =>
    Effect.gen(function* () {
      const store = yield* storeOf(10)
      const [newest, older] = expectedIds(store)
      store.adopt({ ...store.get(older!)!, incident_id: `${older!}0`, num: "SAME" })
      store.adopt({ ...store.get(newest!)!, incident_id: `${newest!}0`, num: "SAME" })
      assert.strictEqual(store.info({ num: "same" })?.incident_id, `${newest!}0`)
    })
  )
})
