public import Mustache
import GreenlightWork

// Mustache finds values by reflection (`Mirror`) unless a type answers `child(named:)` itself.
// The queue page looks up every card field many times; answering directly made it several times
// faster to render (see BENCHMARKS.md). Keep these lists in step with the structs' stored properties:
// `ViewModelLookupTests` checks that every property is found.

extension CardView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "id": self.id
        case "score": self.score
        case "band": self.band
        case "contactName": self.contactName
        case "companyName": self.companyName
        case "clientName": self.clientName
        case "subject": self.subject
        case "body": self.body
        case "preview": self.preview
        case "note": self.note
        case "variables": self.variables
        case "deductions": self.deductions
        case "hasDeductions": self.hasDeductions
        case "whySummary": self.whySummary
        case "statusLabel": self.statusLabel
        case "isPending": self.isPending
        case "canAct": self.canAct
        case "claimedByOther": self.claimedByOther
        case "claimedBy": self.claimedBy
        case "reviewerName": self.reviewerName
        case "rejectionLabel": self.rejectionLabel
        case "rejectionDetails": self.rejectionDetails
        case "exportLine": self.exportLine
        case "exportError": self.exportError
        case "edited": self.edited
        case "diff": self.diff
        case "subjectDiff": self.subjectDiff
        case "subjectEdited": self.subjectEdited
        case "shownAt": self.shownAt
        case "returnTo": self.returnTo
        case "openURL": self.openURL
        case "editURL": self.editURL
        case "csrf": self.csrf
        case "full": self.full
        case "editing": self.editing
        case "blind": self.blind
        case "verdict": self.verdict
        case "grounding": self.grounding
        case "hasGrounding": self.hasGrounding
        case "pieces": self.pieces
        case "canUndo": self.canUndo
        default: nil
        }
    }
}

extension CardView.GroundingView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "variable": self.variable
        case "words": self.words
        case "reason": self.reason
        default: nil
        }
    }
}

extension CardText.Piece: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "text": self.text
        case "flagged": self.flagged
        case "opens": self.opens
        case "closes": self.closes
        default: nil
        }
    }
}

extension CardText.Mark: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "confidence": self.confidence
        default: nil
        }
    }
}

extension CardView.VariableView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "name": self.name
        case "value": self.value
        case "source": self.source
        case "confidence": self.confidence
        case "fallback": self.fallback
        case "reasoning": self.reasoning
        default: nil
        }
    }
}

extension CardView.DeductionView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "points": self.points
        case "detail": self.detail
        default: nil
        }
    }
}

extension CardView.DiffView: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "text": self.text
        case "same": self.same
        case "added": self.added
        case "removed": self.removed
        default: nil
        }
    }
}

extension PageChrome: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "title": self.title
        case "loggedIn": self.loggedIn
        case "userName": self.userName
        case "userRole": self.userRole
        case "csrf": self.csrf
        case "canImport": self.canImport
        case "canAudit": self.canAudit
        case "canRollout": self.canRollout
        case "canTeam": self.canTeam
        case "alerts": self.alerts
        case "notice": self.notice
        case "noticeIsError": self.noticeIsError
        case "section": self.section
        case "refreshSeconds": self.refreshSeconds
        default: nil
        }
    }
}

extension PageChrome.Section: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "review": self.review
        case "clients": self.clients
        case "importing": self.importing
        case "rollout": self.rollout
        case "dashboard": self.dashboard
        case "team": self.team
        case "account": self.account
        default: nil
        }
    }
}

extension QueuePage: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "page": self.page
        case "flash": self.flash
        case "flashIsError": self.flashIsError
        case "undoID": self.undoID
        case "doneToday": self.doneToday
        case "left": self.left
        case "leftCount": self.leftCount
        case "awaitingOnly": self.awaitingOnly
        case "cardsSlot": self.cardsSlot
        case "hasCards": self.hasCards
        case "canBulk": self.canBulk
        case "total": self.total
        case "totalText": self.totalText
        case "shownFrom": self.shownFrom
        case "shownTo": self.shownTo
        case "nextURL": self.nextURL
        case "firstURL": self.firstURL
        case "clients": self.clients
        case "templates": self.templates
        case "statuses": self.statuses
        case "batch": self.batch
        case "from": self.from
        case "to": self.to
        case "minScore": self.minScore
        case "maxScore": self.maxScore
        case "search": self.search
        case "reviewer": self.reviewer
        case "hasFilters": self.hasFilters
        case "returnTo": self.returnTo
        case "csrf": self.csrf
        case "filterError": self.filterError
        default: nil
        }
    }
}

extension QueuePage.Option: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "value": self.value
        case "label": self.label
        case "selected": self.selected
        default: nil
        }
    }
}

extension RolloutAlerts.Alert: MustacheParent {
    public func child(named key: String) -> Any? {
        switch key {
        case "text": self.text
        case "link": self.link
        case "linkText": self.linkText
        default: nil
        }
    }
}
