"""Named events that features send and listeners (notifications, digests) receive.

Services send them inside their transaction, before committing, so what the
listeners add (notification rows) is committed or rolled back with the change."""

from blinker import Namespace

signals = Namespace()

#: ``sender`` is the recommendation; kwargs: ``actor``.
recommendation_created = signals.signal("recommendation-created")
#: ``sender`` is the recommendation; kwargs: ``actor``, ``revision``.
recommendation_revised = signals.signal("recommendation-revised")
#: ``sender`` is the recommendation; kwargs: ``actor``, ``change`` (a StatusChange).
status_changed = signals.signal("status-changed")
#: ``sender`` is the comment; kwargs: ``actor``, ``target`` (recommendation or challenge),
#: ``mentioned`` (users named with @).
comment_posted = signals.signal("comment-posted")
#: ``sender`` is the RecommendationAuthor row of the invitee; kwargs: ``actor``,
#: ``recommendation``.
coauthor_invited = signals.signal("coauthor-invited")
#: ``sender`` is the amendment; kwargs: ``actor``, ``recommendation``.
amendment_proposed = signals.signal("amendment-proposed")
#: ``sender`` is the amendment (accepted or rejected); kwargs: ``actor``, ``recommendation``.
amendment_decided = signals.signal("amendment-decided")
#: ``sender`` is the challenge; kwargs: ``actor``.
challenge_created = signals.signal("challenge-created")
#: ``sender`` is the meeting; kwargs: ``actor``.
meeting_scheduled = signals.signal("meeting-scheduled")
#: ``sender`` is the meeting; kwargs: ``actor``, ``moved`` (its time changed).
meeting_changed = signals.signal("meeting-changed")
#: ``sender`` is the meeting; kwargs: ``actor``, ``participant``.
meeting_invited = signals.signal("meeting-invited")
#: ``sender`` is the action item; kwargs: ``actor``.
action_assigned = signals.signal("action-assigned")
#: ``sender`` is the meeting; kwargs: ``actor``, ``revision``, ``correction``.
minutes_published = signals.signal("minutes-published")
#: ``sender`` is the MinistryAnswer just published; kwargs: ``actor``, ``recommendation``.
answer_published = signals.signal("answer-published")
#: ``sender`` is the SubmissionPackage just sent; kwargs: ``actor``, ``recommendation_ids``.
package_sent = signals.signal("package-sent")
#: ``sender`` is the PackageNote just posted; kwargs: ``actor``, ``package``,
#: ``writer_ids`` (everyone who has written in the thread, this note included).
package_note_added = signals.signal("package-note-added")
#: ``sender`` is the user whose digest frequency, hour or weekday just changed.
digest_settings_changed = signals.signal("digest-settings-changed")
