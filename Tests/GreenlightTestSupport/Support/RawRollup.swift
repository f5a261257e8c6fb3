import Foundation
@testable import GreenlightCore
@testable import GreenlightEmails
@testable import GreenlightWork
@testable import GreenlightExport
@testable import GreenlightWeb
import SQLKit

/// The daily rollup recounted in Swift from the raw rows — emails, review events, client time zones —
/// with Foundation's calendar rather than the app's day arithmetic, to compare with what the
/// triggers and `DailyRollup.rebuild` stored.
package struct RawRollup: Equatable, CustomStringConvertible {
    /// `client|day|measure` → n (measures as `DailyRollup.counters` names them), zeros left out.
    package var counts: [String: Int] = [:]
    /// `client|YYYY-MM|measure` → n, the month totals.
    var months: [String: Int] = [:]
    /// `client|YYYY-MM|reviewer id|reviewer name` → approved, edited, rejected, review ms, timed, fast, longest.
    var monthReviews: [String: [Int]] = [:]
    /// `client|day|reviewer id|reviewer name` → approved, edited, rejected, review ms, timed, fast, run, longest.
    package var reviews: [String: [Int]] = [:]

    package var description: String {
        let differences =
            counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } + reviews.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return differences.joined(separator: "\n")
    }

    /// What differs from `other`, for a readable failure.
    package func difference(from other: RawRollup) -> String {
        var lines: [String] = []
        for key in Set(counts.keys).union(other.counts.keys).sorted() where counts[key] != other.counts[key] {
            lines.append("\(key): \(counts[key].map(String.init) ?? "none") vs \(other.counts[key].map(String.init) ?? "none")")
        }
        for key in Set(months.keys).union(other.months.keys).sorted() where months[key] != other.months[key] {
            lines.append("\(key): \(months[key].map(String.init) ?? "none") vs \(other.months[key].map(String.init) ?? "none")")
        }
        for key in Set(monthReviews.keys).union(other.monthReviews.keys).sorted() where monthReviews[key] != other.monthReviews[key] {
            lines.append("\(key): \(monthReviews[key].map { "\($0)" } ?? "none") vs \(other.monthReviews[key].map { "\($0)" } ?? "none")")
        }
        for key in Set(reviews.keys).union(other.reviews.keys).sorted() where reviews[key] != other.reviews[key] {
            lines.append("\(key): \(reviews[key].map { "\($0)" } ?? "none") vs \(other.reviews[key].map { "\($0)" } ?? "none")")
        }
        return lines.joined(separator: "\n")
    }

    package static func day(_ millis: Int, _ zone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(millis) / 1000))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// The rollup as the raw rows say it should be.
    package static func recount(_ database: Database) async throws -> RawRollup {
        try await database.read { sql in
            var zones: [Int: String] = [:]
            for row in try await sql.raw("SELECT id, timezone FROM clients").all() {
                zones[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "timezone", as: String.self)
            }
            var result = RawRollup()
            func count(_ key: String, _ n: Int) { result.counts[key, default: 0] += n }
            func review(_ key: String, _ index: Int, _ n: Int) {
                var values = result.reviews[key] ?? Array(repeating: 0, count: 8)
                values[index] += n
                result.reviews[key] = values
            }
            let emails = try await sql.raw(
                """
                SELECT client_id, created_at, status, quality_score, gate_outcome, reviewer_id, reviewer_name, reviewed_at, review_ms,
                rejection_reason, final_body FROM generated_emails
                """
            ).all()
            for row in emails {
                let client = try row.decode(column: "client_id", as: Int.self)
                let zone = zones[client]!
                let made = "\(client)|\(day(try row.decode(column: "created_at", as: Int.self), zone))|"
                let status = try row.decode(column: "status", as: String.self)
                let score = try row.decode(column: "quality_score", as: Int.self)
                count(made + "generated", 1)
                count(made + "status:" + status, 1)
                count(made + "band:\(min(9, score / 10))", 1)
                count(made + "score", score)
                if try row.decode(column: "gate_outcome", as: String?.self) == "auto" { count(made + "auto", 1) }
                guard let name = try row.decode(column: "reviewer_name", as: String?.self),
                    let reviewedAt = try row.decode(column: "reviewed_at", as: Int?.self),
                    ["approved", "approved_edited", "rejected", "sent"].contains(status)
                else { continue }
                let decided = "\(client)|\(day(reviewedAt, zone))|"
                let reviewer = decided + "\(try row.decode(column: "reviewer_id", as: Int?.self) ?? 0)|\(name)"
                let finalBody = try row.decode(column: "final_body", as: String?.self)
                let edited = status == "approved_edited" || (status == "sent" && finalBody != nil)
                review(reviewer, status == "rejected" ? 2 : edited ? 1 : 0, 1)
                count(decided + (status == "rejected" ? "decided:rejected" : edited ? "decided:edited" : "decided:approved"), 1)
                if status == "rejected" { count(decided + "reason:" + (try row.decode(column: "rejection_reason", as: String?.self) ?? "other"), 1) }
                if let milliseconds = try row.decode(column: "review_ms", as: Int?.self) {
                    review(reviewer, 3, milliseconds)
                    review(reviewer, 4, 1)
                    count(decided + "review_ms", milliseconds)
                    count(decided + "timed", 1)
                    let bucket = DailyRollup.reviewTimeBuckets.last { milliseconds >= $0 * 1000 }!
                    count(decided + "time:\(bucket)", 1)
                }
            }
            let events = try await sql.raw(
                """
                SELECT client_id, user_id, actor_name, action, review_ms, created_at FROM review_events
                WHERE action IN ('approve', 'edit', 'reject') ORDER BY id
                """
            ).all()
            for row in events {
                let client = try row.decode(column: "client_id", as: Int.self)
                let key =
                    "\(client)|\(day(try row.decode(column: "created_at", as: Int.self), zones[client]!))|\(try row.decode(column: "user_id", as: Int?.self) ?? 0)|\(try row.decode(column: "actor_name", as: String.self))"
                var values = result.reviews[key] ?? Array(repeating: 0, count: 8)
                if try row.decode(column: "action", as: String.self) == "approve" {
                    if let milliseconds = try row.decode(column: "review_ms", as: Int?.self), milliseconds < 5_000 { values[5] += 1 }
                    values[6] += 1
                    values[7] = max(values[7], values[6])
                } else {
                    values[6] = 0
                }
                result.reviews[key] = values
            }
            result.counts = result.counts.filter { $0.value != 0 }
            result.months = Self.months(of: result.counts)
            result.monthReviews = Self.monthReviews(of: result.reviews)
            result.reviews = result.reviews.filter { $0.value.contains { $0 != 0 } }
            return result
        }
    }

    /// Day counts summed by month (the day's first 7 characters).
    static func months(of counts: [String: Int]) -> [String: Int] {
        var months: [String: Int] = [:]
        for (key, n) in counts {
            let parts = key.split(separator: "|", maxSplits: 2).map(String.init)
            months["\(parts[0])|\(parts[1].prefix(7))|\(parts[2])", default: 0] += n
        }
        return months.filter { $0.value != 0 }
    }

    /// Reviewer days by month: sums, and the longest run of the month's days.
    static func monthReviews(of reviews: [String: [Int]]) -> [String: [Int]] {
        var months: [String: [Int]] = [:]
        for (key, values) in reviews {
            let parts = key.split(separator: "|", maxSplits: 2).map(String.init)
            let month = "\(parts[0])|\(parts[1].prefix(7))|\(parts[2])"
            var total = months[month] ?? Array(repeating: 0, count: 7)
            for index in 0..<6 { total[index] += values[index] }
            total[6] = max(total[6], values[7])
            months[month] = total
        }
        return months.filter { $0.value.contains { $0 != 0 } }
    }

    /// The rollup as the database holds it once the log is folded, zero rows left out.
    package static func stored(_ database: Database) async throws -> RawRollup {
        try await RollupLog.fold(database)
        return try await storedUnfolded(database)
    }

    /// The rollup tables as they are, without folding the log first.
    package static func storedUnfolded(_ database: Database) async throws -> RawRollup {
        try await database.read { sql in
            var result = RawRollup()
            let columns = DailyRollup.counters.map(\.column).joined(separator: ", ")
            for row in try await sql.raw(SQLQueryString("SELECT client_id, day, \(unsafeRaw: columns) FROM daily_counts")).all() {
                let key = "\(try row.decode(column: "client_id", as: Int.self))|\(try row.decode(column: "day", as: String.self))|"
                for counter in DailyRollup.counters {
                    let n = try row.decode(column: counter.column, as: Int.self)
                    if n != 0 { result.counts[key + counter.measure] = n }
                }
            }
            for row in try await sql.raw(SQLQueryString("SELECT client_id, month, \(unsafeRaw: columns) FROM monthly_counts")).all() {
                let key = "\(try row.decode(column: "client_id", as: Int.self))|\(try row.decode(column: "month", as: String.self))|"
                for counter in DailyRollup.counters {
                    let n = try row.decode(column: counter.column, as: Int.self)
                    if n != 0 { result.months[key + counter.measure] = n }
                }
            }
            for row in try await sql.raw(
                """
                SELECT client_id, month, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, longest_run
                FROM monthly_reviews
                """
            ).all() {
                let values = try ["approved", "edited", "rejected", "review_ms_sum", "review_ms_count", "fast_approvals", "longest_run"].map {
                    try row.decode(column: $0, as: Int.self)
                }
                guard values.contains(where: { $0 != 0 }) else { continue }
                result.monthReviews[
                    "\(try row.decode(column: "client_id", as: Int.self))|\(try row.decode(column: "month", as: String.self))|"
                        + "\(try row.decode(column: "reviewer_id", as: Int.self))|\(try row.decode(column: "reviewer_name", as: String.self))"] =
                    values
            }
            for row in try await sql.raw(
                """
                SELECT client_id, day, reviewer_id, reviewer_name, approved, edited, rejected, review_ms_sum, review_ms_count, fast_approvals, approve_run, longest_run
                FROM daily_reviews
                """
            ).all() {
                let values = try [
                    "approved", "edited", "rejected", "review_ms_sum", "review_ms_count", "fast_approvals", "approve_run", "longest_run",
                ].map {
                    try row.decode(column: $0, as: Int.self)
                }
                guard values.contains(where: { $0 != 0 }) else { continue }
                let key =
                    "\(try row.decode(column: "client_id", as: Int.self))|\(try row.decode(column: "day", as: String.self))|"
                    + "\(try row.decode(column: "reviewer_id", as: Int.self))|\(try row.decode(column: "reviewer_name", as: String.self))"
                result.reviews[key] = values
            }
            return result
        }
    }
}
