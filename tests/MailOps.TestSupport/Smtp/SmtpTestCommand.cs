namespace MailOps.TestSupport.Smtp;

/// <summary>One command line the test server received: the session (one per connection),
/// whether the session was encrypted at that moment, the verb and its argument (for AUTH only
/// the mechanism: credentials are never logged).</summary>
public sealed record SmtpTestCommand(int Session, bool Tls, string Verb, string Argument);
