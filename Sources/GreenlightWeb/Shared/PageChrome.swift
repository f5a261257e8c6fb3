import Foundation
import GreenlightWork
/// What the layout shows on every page: title, who is logged in, the CSRF token for forms, the notice.
struct PageChrome {
    var title: String
    var loggedIn: Bool
    var userName: String
    var userRole: String
    var csrf: String
    var canImport: Bool
    var canAudit: Bool
    var canRollout: Bool
    var canTeam: Bool
    /// Managers' banners: demotions and paused clients.
    var alerts: [RolloutAlerts.Alert]
    var notice: String?
    var noticeIsError: Bool
    var section: Section
    /// Seconds after which the page reloads itself (a job's progress, without JavaScript); nil: never.
    var refreshSeconds: String?

    /// Which navigation entry is current.
    struct Section {
        var review = false
        var clients = false
        var importing = false
        var rollout = false
        var dashboard = false
        var team = false
        var account = false
    }

    init(title: String, context: AppRequestContext, notice: String? = nil, noticeIsError: Bool = false, section: Section = Section()) {
        self.title = title
        self.loggedIn = context.user != nil
        self.userName = context.user?.name ?? ""
        self.userRole = context.user?.role.rawValue ?? ""
        self.csrf = context.session?.csrfToken ?? ""
        self.canImport = context.user?.role.permissions.contains(.importContacts) ?? false
        self.canAudit = context.user?.role.permissions.contains(.viewAudit) ?? false
        self.canRollout = context.user?.role.permissions.contains(.manageRollout) ?? false
        self.canTeam = context.user?.role.permissions.contains(.manageTeam) ?? false
        self.alerts = context.alerts
        self.notice = notice
        self.noticeIsError = noticeIsError
        self.section = section
    }
}
