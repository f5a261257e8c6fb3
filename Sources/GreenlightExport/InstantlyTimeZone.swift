import Foundation

/// The time zone names Instantly takes in a campaign schedule, and the one a client's IANA zone is
/// sent as (issue 27; Instantly's published list of time zones).
///
/// Instantly's published OpenAPI (API v2, `campaign_schedule.schedules[].timezone`) accepts only
/// ``accepted``: one name per Windows time zone, so `Europe/London`, `Europe/Paris` and
/// `America/New_York` are refused with a 400. A client's zone is sent as an accepted name that keeps
/// the same clock — the same UTC offset at every moment of the next three years — preferring one of
/// the same region (`Europe/London` → `Europe/Isle_of_Man`). A zone no accepted name keeps (US
/// Pacific time, by current tz data) cannot be exported to Instantly: the settings say so, naming the
/// nearest names.
public enum InstantlyTimeZone {
    /// The enum of Instantly's API v2 schema, in its order.
    public static let accepted: [String] = [
        "Etc/GMT+12", "Etc/GMT+11", "Etc/GMT+10", "America/Anchorage", "America/Dawson", "America/Creston", "America/Chihuahua",
        "America/Boise", "America/Belize", "America/Chicago", "America/Bahia_Banderas", "America/Regina", "America/Bogota",
        "America/Detroit", "America/Indiana/Marengo", "America/Caracas", "America/Asuncion", "America/Glace_Bay", "America/Campo_Grande",
        "America/Anguilla", "America/Santiago", "America/St_Johns", "America/Sao_Paulo", "America/Argentina/La_Rioja", "America/Araguaina",
        "America/Godthab", "America/Montevideo", "America/Bahia", "America/Noronha", "America/Scoresbysund", "Atlantic/Cape_Verde",
        "Africa/Casablanca", "America/Danmarkshavn", "Europe/Isle_of_Man", "Atlantic/Canary", "Africa/Abidjan", "Arctic/Longyearbyen",
        "Europe/Belgrade", "Africa/Ceuta", "Europe/Sarajevo", "Africa/Algiers", "Africa/Windhoek", "Asia/Nicosia", "Asia/Beirut",
        "Africa/Cairo", "Asia/Damascus", "Europe/Bucharest", "Africa/Blantyre", "Europe/Helsinki", "Europe/Istanbul", "Asia/Jerusalem",
        "Africa/Tripoli", "Asia/Amman", "Asia/Baghdad", "Europe/Kaliningrad", "Asia/Aden", "Africa/Addis_Ababa", "Europe/Kirov",
        "Europe/Astrakhan", "Asia/Tehran", "Asia/Dubai", "Asia/Baku", "Indian/Mahe", "Asia/Tbilisi", "Asia/Yerevan", "Asia/Kabul",
        "Antarctica/Mawson", "Asia/Yekaterinburg", "Asia/Karachi", "Asia/Kolkata", "Asia/Colombo", "Asia/Kathmandu", "Antarctica/Vostok",
        "Asia/Dhaka", "Asia/Rangoon", "Antarctica/Davis", "Asia/Novokuznetsk", "Asia/Hong_Kong", "Asia/Krasnoyarsk", "Asia/Brunei",
        "Australia/Perth", "Asia/Taipei", "Asia/Choibalsan", "Asia/Irkutsk", "Asia/Dili", "Asia/Pyongyang", "Australia/Adelaide",
        "Australia/Darwin", "Australia/Brisbane", "Australia/Melbourne", "Antarctica/DumontDUrville", "Australia/Currie", "Asia/Chita",
        "Antarctica/Macquarie", "Asia/Sakhalin", "Pacific/Auckland", "Etc/GMT-12", "Pacific/Fiji", "Asia/Anadyr", "Asia/Kamchatka",
        "Etc/GMT-13", "Pacific/Apia",
    ]

    /// How long ahead two zones must keep the same clock.
    static let horizon: TimeInterval = 3 * 366 * 86_400

    /// What a client's zone is sent as.
    public enum Mapping: Sendable, Equatable {
        /// Instantly takes the name itself.
        case same(String)
        /// Instantly takes this other name, which keeps the same clock.
        case equivalent(String)
        /// No accepted name keeps the same clock; these come nearest.
        case none(nearest: [String])

        /// The name to send, if there is one.
        public var name: String? {
            switch self {
            case .same(let name), .equivalent(let name): return name
            case .none: return nil
            }
        }
    }

    /// The accepted name that keeps `zone`'s clock from `start` for three years, of the same region
    /// when there is one; or the nearest names when none does. An unknown zone maps to nothing.
    public static func map(_ zone: String, from start: Date) -> Mapping {
        if accepted.contains(zone) { return .same(zone) }
        guard let wanted = TimeZone(identifier: zone) else { return .none(nearest: []) }
        let signature = offsets(wanted, from: start)
        let keeping = accepted.filter { name in TimeZone(identifier: name).map { offsets($0, from: start) == signature } ?? false }
        let region = zone.split(separator: "/").first.map(String.init) ?? ""
        if let match = keeping.first(where: { $0.hasPrefix(region + "/") }) ?? keeping.first { return .equivalent(match) }
        return .none(nearest: nearest(wanted, from: start))
    }

    /// The sentence the settings show: how the zone goes to Instantly, or why it cannot.
    public static func describe(_ zone: String, from start: Date) -> String {
        switch map(zone, from: start) {
        case .same(let name): return "\(name) is sent to Instantly as it is."
        case .equivalent(let name): return "\(zone) is sent to Instantly as \(name) (the same clock)."
        case .none(let nearest): return refusal(zone, nearest: nearest)
        }
    }

    /// Why a zone cannot go to Instantly, naming the nearest accepted names.
    static func refusal(_ zone: String, nearest: [String]) -> String {
        "Instantly takes no time zone that keeps the clock of \(zone) (its schedules accept one name per Windows time zone)"
            + (nearest.isEmpty ? "" : "; the nearest it takes: \(nearest.joined(separator: ", "))")
            + ". Choose one of them as the client's time zone, or export by CSV."
    }

    /// The zone's UTC offset as a step function over the horizon: the offset at `start`, then each
    /// instant it changes with the offset after it. Equal signatures are the same clock.
    static func offsets(_ zone: TimeZone, from start: Date) -> [Int] {
        var signature = [zone.secondsFromGMT(for: start)]
        var moment = start
        let end = start.addingTimeInterval(horizon)
        while let next = zone.nextDaylightSavingTimeTransition(after: moment), next < end {
            let offset = zone.secondsFromGMT(for: next)
            if offset != signature[signature.count - 1] { signature += [Int(next.timeIntervalSince1970), offset] }
            moment = next
        }
        return signature
    }

    /// The three accepted names whose clock differs least from the zone's over a year (hours apart,
    /// sampled daily), the same region first among equals.
    static func nearest(_ zone: TimeZone, from start: Date) -> [String] {
        let days = (0..<366).map { start.addingTimeInterval(Double($0) * 86_400) }
        let wanted = days.map { zone.secondsFromGMT(for: $0) }
        let region = zone.identifier.split(separator: "/").first.map(String.init) ?? ""
        let scored: [(name: String, distance: Int, sameRegion: Bool)] = accepted.compactMap { name in
            guard let candidate = TimeZone(identifier: name) else { return nil }
            let distance = zip(days, wanted).reduce(0) { $0 + abs(candidate.secondsFromGMT(for: $1.0) - $1.1) }
            return (name, distance, name.hasPrefix(region + "/"))
        }
        return scored.sorted { ($0.distance, $0.sameRegion ? 0 : 1) < ($1.distance, $1.sameRegion ? 0 : 1) }.prefix(3).map(\.name)
    }
}
