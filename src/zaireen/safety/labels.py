"""The words the leader app's script shows, translated on the server and handed to the page
as JSON (the page is cached whole, so they work offline in the language it was loaded in).
`%(name)s`-style placeholders are filled in by the script."""

from django.utils.translation import gettext_lazy as _


def leader_labels() -> dict:
    return {
        "present": _("Present"),
        "missing": _("Missing"),
        "notYetSeen": _("Not yet seen"),
        "extra": _("Not expected here"),
        "online": _("Online"),
        "offline": _("Offline"),
        "queue": _("Waiting to sync: %(n)s"),
        "synced": _("Everything is synced"),
        "lastSync": _("Last synced at %(time)s"),
        "syncFailed": _("Sync failed; trying again soon."),
        "refused": _("The server refused %(n)s actions of this phone."),
        "thisPhone": _("This phone: %(name)s"),
        "registerFailed": _("Registering a phone needs the network and a signed-in leader."),
        "revoked": _("This phone was revoked: its actions are no longer accepted."),
        "noRoster": _("The roster is not on this phone yet: open this page once online."),
        "markedPresent": _("Marked present: %(name)s"),
        "alreadyPresent": _("Already present: %(name)s"),
        "unmarked": _("Unmarked: %(name)s"),
        "cardRevoked": _("Card revoked — not counted (card of %(name)s)"),
        "cardUnknown": _("Unknown card: the server checks it when the phone is online."),
        "mark": _("Mark present"),
        "unmark": _("Unmark"),
        "open": _("Open"),
        "closed": _("Closed"),
        "wholeTrip": _("Whole trip"),
        "seat": _("seat %(n)s"),
        "noHeadcount": _("No headcount is open. Open one below."),
        "noMatch": _("Nobody matches."),
        "openedBy": _("Opened by %(name)s on %(device)s"),
        "closedBy": _("%(by)s on %(device)s: depart anyway? %(answer)s"),
        "heldBy": _("%(by)s on %(device)s waited (answer: no)"),
        "yes": _("Yes"),
        "no": _("No"),
        "nobodyMissing": _("nobody missing"),
        "missingAtClose": _("Missing then: %(names)s"),
        "revokedScans": _("Revoked cards scanned: %(n)s"),
        "openCase": _("Open a missing-person case"),
        "caseRequested": _("Case requested"),
        "needsNetwork": _("Needs the network"),
        "scanHint": _("Point the camera at the card's QR code."),
        "cameraFailed": _("The camera is not available."),
        "notSynced": _("not synced yet"),
    }
