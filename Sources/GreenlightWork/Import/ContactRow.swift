import Foundation
/// A contact read from one CSV row, checked and ready to store.
struct ContactRow: Sendable {
    var rowNumber: Int
    var firstName: String
    var lastName: String
    var email: String
    var emailNormalized: String
    var companyName: String
    var website: String
    var linkedinURL: String
    var industry: String
    var extra: [String: String]
}
