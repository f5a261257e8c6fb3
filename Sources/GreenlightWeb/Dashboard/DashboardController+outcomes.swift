import Foundation
import Hummingbird
import GreenlightWork

extension DashboardController {
    /// `/dashboard/csv?table=outcomes&by=…`: one "What converts" breakdown as CSV.
    func outcomeCSV(_ request: Request, selection: Selection) async throws -> Response {
        let dimension = try OutcomeDownloads.dimension(request)
        let figures = try await OutcomeFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID)
        return Self.csvResponse(
            OutcomeDownloads.csv(figures.breakdown(dimension)),
            name: "greenlight-outcomes-\(dimension.rawValue)-\(selection.range.from)-\(selection.range.to).csv")
    }

    /// `/dashboard/chart?chart=outcomes&by=score-band`: reply rates by score band as SVG.
    func outcomeChart(_ request: Request, selection: Selection) async throws -> Response {
        let dimension = try OutcomeDownloads.dimension(request)
        let figures = try await OutcomeFigures.read(
            database, range: selection.range, clientIDs: selection.clientIDs, reviewerID: selection.reviewerID)
        return Self.svgResponse(try OutcomeDownloads.chart(figures.breakdown(dimension)).render())
    }
}
