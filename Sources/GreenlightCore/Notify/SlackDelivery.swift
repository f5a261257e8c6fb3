/// What became of one Slack message: the notifier never throws, it says what happened.
///
/// A `failed` reason is safe to log and show: it never holds the webhook URL or any part of it.
public enum SlackDelivery: Sendable, Equatable {
    /// Slack answered 2xx: the message is in the channel.
    case delivered
    /// The message was not delivered, after any retries; `reason` says why in plain words.
    case failed(reason: String)
}
