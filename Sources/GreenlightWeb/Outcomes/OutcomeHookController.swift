import Foundation
import HTTPTypes
import Hummingbird
import GreenlightCore
import GreenlightWork
import GreenlightExport

/// The sequencers' webhooks: `POST /hooks/instantly/{token}` and `POST /hooks/smartlead/{token}`.
/// The token in the path names the client (``OutcomeHooks``); a Smartlead delivery must also carry
/// the client's secret as `secret_key`. An unknown token or a wrong secret answers 404 with nothing
/// more; a body that is not a delivery 400 with what is wrong; a body over 256 KB 413. A delivery
/// is stored (``OutcomeRecorder``) before the 200 that answers it, so an accepted delivery is never
/// lost; one Greenlight already has, or of a type it does not know, is accepted too (a sequencer that
/// gets an error retries, then disables the webhook). A bounce or an unsubscribe stored asks the
/// outcome guard whether the client should drop a phase.
struct OutcomeHookController {
    let database: Database
    let demotions: DemotionGuard
    let clock: TimeSource

    func addRoutes(to router: Router<AppRequestContext>) {
        router.post("/hooks/instantly/:token", use: instantly)
        router.post("/hooks/smartlead/:token", use: smartlead)
    }

    @Sendable func instantly(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try await owner(context)
        // A webhook Greenlight subscribed itself carries the secret in a header; one added by hand cannot.
        if owner.subscribedVendor == "instantly" {
            let header = HTTPField.Name(InstantlyClient.secretHeader).flatMap { request.headers[$0] } ?? ""
            guard OutcomeHooks.secretMatches(header, owner: owner) else { throw NotFound("page") }
        }
        let event = try OutcomeDelivery.instantly(try await body(request, context: context))
        return try await store(event, clientID: owner.clientID)
    }

    @Sendable func smartlead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let owner = try await owner(context)
        let (event, secret) = try OutcomeDelivery.smartlead(try await body(request, context: context))
        guard OutcomeHooks.secretMatches(secret, owner: owner) else { throw NotFound("page") }
        return try await store(event, clientID: owner.clientID)
    }

    private func owner(_ context: AppRequestContext) async throws -> OutcomeHooks.Owner {
        guard let token = context.parameters.get("token"), let owner = try await OutcomeHooks(database: database, clock: clock).owner(token: token)
        else { throw NotFound("page") }
        return owner
    }

    private func body(_ request: Request, context: AppRequestContext) async throws -> [UInt8] {
        var request = request
        return Array(try await RequestBodyReader.collect(&request, context: context).readableBytesView)
    }

    private func store(_ event: OutcomeEvent, clientID: Int) async throws -> Response {
        let tally = try await OutcomeRecorder(database: database, clock: clock).record([event], clientID: clientID, source: .webhook)
        // The delivery is stored: a guard that cannot read now looks again at the next bounce.
        if tally.bouncesOrUnsubscribes > 0 { _ = try? await demotions.checkOutcomes(clientID: clientID) }
        return try JSONAnswer.make(
            Stored(
                stored: tally.stored == 1, duplicate: tally.duplicates == 1,
                attached: tally.stored == 1 && tally.unattached == 0 && tally.ignored == 0))
    }

    /// What a delivery's answer says.
    struct Stored: Encodable {
        var stored: Bool
        var duplicate: Bool
        var attached: Bool
    }
}
