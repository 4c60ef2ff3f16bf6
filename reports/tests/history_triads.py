"""The triad chapters of a youth's story in the reports-versus-pages histories: the triad from its draft to
its closure (signing, consent, the running plan, withdrawal, evaluations, requests, the closure and after).

Mixed into `histories.Story`, whose clock (`later`, `over`, `day`) and cast they use.
"""

import datetime

from django.utils import timezone

from jimcase import services as case_services
from jimcase.models import ParentGuardian, Youth
from mentors import services as mentor_services
from triads import services as triad_services
from triads.models import (
    CheckIn,
    ConsentDecision,
    EndReason,
    Evaluation,
    FallbackRequest,
    GoalsReached,
    PlacementOutcome,
)
from triads.rules import missing_signers, recorded_name, signing_method_for


class TriadChapters:
    """What a story does once its youth has a triad."""

    def triad(self, youth, triad):
        rng = self.rng
        # The day it will end, if it does (a draft that never starts may end too).
        close_after = rng.choice((None, 20, 60, 89, 91, 150, 200, 366, 400))
        closes_on = self.day + datetime.timedelta(days=close_after) if close_after else None
        yield self.later(days=rng.randint(0, 15))
        if self.over:
            return
        if rng.random() < 0.9:
            self.sign(triad)
            self.note("agreement signed")
        if self.nobody == "later":
            self.nobody_can_decide(youth)
        yield from self.parents_decide(youth, triad)
        if self.over:
            return
        yield from self.consent_exceptions(youth, triad)
        if self.over:
            return
        triad.refresh_from_db()
        self.note(f"triad {triad.status}")
        if triad.is_running:
            yield from self.running(youth, triad, closes_on)
        elif closes_on:
            yield self.later(days=max(1, (closes_on - self.day).days))
            if not self.over:
                self.close(triad)
        triad.refresh_from_db()
        if triad.has_ended:
            yield from self.after_closure(triad)

    def parents_decide(self, youth, triad):
        """Each parent with parental authority gives consent, refuses, refuses then gives, or says nothing."""
        rng = self.rng
        for parent in youth.parents.filter(has_parental_authority=True):
            plan = rng.choice(("given", "given", "given", "pending", "refused", "refused_then_given"))
            if plan == "pending":
                continue
            yield self.later(days=rng.randint(0, 10))
            if self.over:
                return
            first = "refused" if plan.startswith("refused") else "given"
            self.consent(triad, parent, first)
            if plan == "refused_then_given":
                yield self.later(days=rng.randint(1, 30))
                if self.over:
                    return
                self.consent(triad, parent, "given")

    def consent_exceptions(self, youth, triad):
        """A coordinator overrides a minor's missing consent, or a guardian turns up (the statement lapses)."""
        rng = self.rng
        triad.refresh_from_db()
        if triad.is_draft and self.minor and rng.random() < 0.4:
            yield self.later(days=rng.randint(0, 10))
            if self.over:
                return
            triad_services.consent_override_record(
                triad=triad,
                by=self.cast.coordinator,
                justification="Het belang van de jongere weegt hier door.",
            )
            self.note("consent overridden")
        if self.nobody != "never" and rng.random() < 0.3:
            # A parent with parental authority turns up: the "nobody can decide" statement lapses.
            yield self.later(days=rng.randint(1, 60))
            if self.over:
                return
            case_services.parent_save(
                parent=ParentGuardian(youth=youth, name=f"Voogd Verhaal{self.number}", relation="guardian"),
                by=self.lead,
            )
            self.note("a guardian with parental authority added (nobody can decide lapses)")

    def sign(self, triad):
        agreement = triad.current_agreement
        signer = triad.fallback
        for party, parent in missing_signers(agreement):
            triad_services.agreement_sign(
                agreement=agreement,
                party=party,
                parent=parent,
                method=signing_method_for(party),
                typed_name=recorded_name(agreement, party, parent, user=signer),
                user=signer,
            )

    def consent(self, triad, parent, decision):
        triad_services.consent_record(
            triad=triad, parent=parent, decision=decision, decided_on=self.day, method="writing", by=self.lead
        )
        self.note(f"consent {decision} by {parent.name}")

    def jim_account(self, triad):
        """Most JIMs get an account (the one they have, or an invitation) and some join the peer network."""
        rng = self.rng
        if rng.random() >= 0.7:
            return None
        profile = triad.jim_profile
        profile.refresh_from_db()
        if profile.user_id is None:
            jim_user = triad_services.jim_invite(jim_profile=profile, email=profile.email, by=self.lead)
        else:
            jim_user = profile.user
        if rng.random() < 0.6 and not profile.peer_network_opt_in:
            mentor_services.peer_network_opt(jim_profile=profile, on=True, by=jim_user)
            self.note("JIM joins the peer network")
        return jim_user

    def running(self, youth, triad, closes_on):
        rng = self.rng
        jim_user = self.jim_account(triad)
        requests = rng.randint(0, 3) if jim_user else 0
        withdraw = rng.random() < 0.3
        hand_over = rng.random() < 0.2
        skipped = set()
        while not self.over:
            triad.refresh_from_db()
            if not triad.is_running:
                return
            due = triad.check_ins.open().exclude(pk__in=skipped).order_by("due_on", "pk").first()
            if closes_on and (due is None or due.due_on >= closes_on):
                yield self.later(days=max(1, (closes_on - self.day).days))
                if not self.over:
                    self.close(triad)
                return
            if due is None:
                return
            if requests:
                requests -= 1
                yield self.later(days=rng.randint(0, 20))
                if not self.over:
                    yield from self.fallback_request(triad, jim_user)
                continue
            if withdraw:
                withdraw = False
                yield from self.withdraw(youth, triad)
                continue
            if hand_over:
                hand_over = False
                yield self.later(days=rng.randint(0, 20))
                if not self.over:
                    to = rng.choice([p for p in self.cast.professionals if p != youth.current_lead])
                    case_services.lead_hand_over(youth=youth, to=to, by=self.cast.coordinator)
                    self.note(f"lead handed over to {to.display_name}")
                continue
            fate = rng.choices(
                ("done", "skipped", "cancelled"), (14, 3, 1 if due.kind == CheckIn.Kind.CHECK_IN else 0)
            )[0]
            if fate == "skipped":
                # Never done: overdue from the day after it was planned while the triad runs.
                skipped.add(due.pk)
                self.note(f"{due.kind} of {due.due_on} left undone")
                continue
            late = rng.choice((0, 0, 1, 3, 10))
            yield self.later(days=max(0, (due.due_on - self.day).days + late))
            if self.over:
                return
            if fate == "cancelled":
                triad_services.check_in_cancel(check_in=due, by=self.lead)
            elif due.is_evaluation:
                self.evaluate(triad, due)
            else:
                triad_services.check_in_done(check_in=due, on=self.day, by=self.lead)

    def withdraw(self, youth, triad):
        parent = youth.parents.filter(has_parental_authority=True).first()
        current = ConsentDecision.objects.filter(triad=triad, parent=parent).current().first()
        if parent is None or current is None or current.decision != ConsentDecision.Decision.GIVEN:
            return
        yield self.later(days=self.rng.randint(0, 20))
        if not self.over:
            self.consent(triad, parent, "withdrawn")

    def evaluate(self, triad, check_in):
        rng = self.rng
        decision = ""
        if triad.is_in_trial and check_in.kind == CheckIn.Kind.TRIAL_EVALUATION:
            decision = rng.choice(("continue", "continue", "continue", "adjust", "end"))
        triad_services.evaluation_record(
            triad=triad,
            by=self.lead,
            held_on=self.day,
            score=rng.randint(1, 5),
            decision=decision,
            check_in=check_in,
        )
        self.note(f"evaluation {decision or '(no decision)'}")
        if decision == Evaluation.Decision.END:
            self.close(triad)

    def fallback_request(self, triad, jim_user):
        rng = self.rng
        request = triad_services.fallback_request_send(
            triad=triad, by=jim_user, message="Kan je even meedenken?", urgent=rng.random() < 0.3
        )
        self.note("denk even mee sent")
        wait = rng.choice((None, 1, 5, 30, 47, 49, 100, 200))
        if wait is None:
            return
        handled = self.now + datetime.timedelta(hours=wait)
        self.day, self.hour, self.now = timezone.localdate(handled), handled.hour, handled
        yield handled
        if not self.over:
            request = FallbackRequest.objects.get(pk=request.pk)
            triad_services.fallback_request_handle(request=request, by=self.lead, answer="Samen afgesproken")
            self.note("denk even mee handled")

    def close(self, triad):
        rng = self.rng
        youth = Youth.objects.get(pk=triad.youth_id)
        reason = rng.choice(EndReason.values)
        goals = rng.choice(
            [GoalsReached.YES, GoalsReached.PARTLY]
            if reason == EndReason.GOAL_REACHED
            else GoalsReached.values
        )
        outcomes = [PlacementOutcome.AVOIDED, PlacementOutcome.HAPPENED]
        if youth.placement_considered != Youth.PlacementConsidered.YES:
            outcomes.append(PlacementOutcome.NOT_APPLICABLE)
        triad_services.triad_close(
            triad=triad,
            by=self.lead,
            reason=reason,
            after_plan="Het loopt verder via de school.",
            continues_informally=rng.random() < 0.4,
            living_situation=rng.choice(Youth.LivingSituation.values),
            placement_outcome=rng.choice(outcomes),
            goals_reached=goals,
            outcome_explanation="Zo is het gelopen.",
        )
        self.note(f"triad closed ({reason})")

    def after_closure(self, triad):
        conversation = triad.check_ins.filter(kind=CheckIn.Kind.AFTER_CLOSURE, done_on__isnull=True).first()
        if conversation is None or self.rng.random() < 0.4:
            return  # left undone: overdue after its day
        yield self.later(days=max(1, (conversation.due_on - self.day).days + self.rng.randint(0, 5)))
        if not self.over:
            triad_services.check_in_done(check_in=conversation, on=self.day, by=self.lead)
            self.note("conversation after closure done")
