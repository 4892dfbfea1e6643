"""Who may do what in a colleague and patient feedback exercise (GMC, "Collecting colleague and patient feedback
for revalidation": the feedback is collected and collated by someone other than the doctor).

- The doctor starts their own exercise, invites colleagues, prints patient cards and sees live counts, never who
  answered nor any single answer; they read the report once the facilitator has released it, and reflect on it.
- The facilitator (one of the trust's appraisers or a named feedback administrator, never the doctor) runs it:
  enters paper answers, reads comments for identifying content, closes the exercise and releases the report.
- The appraiser of the appraisal the doctor's reflection went into reads the released report too.
- The responsible officer sees whether each connected doctor has done it (dates and questionnaire), never content.
"""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, not_, rel, role, state_is
from medlead.core.roles import Role as R
from medlead.revalidation.models import SupportingInfo

DOCTOR = rel("doctor_id", "its doctor")
FACILITATOR = all_of(rel("facilitator_id", "its facilitator"), not_(DOCTOR))


# issue 33, the report's side: the appraiser of the appraisal the doctor's reflection went into reads the report
# too (the GMC asks that the doctor discuss the feedback at appraisal; the appraiser already reads the reflection
# with the appraisal's content). Only once released, and never the doctor's own appraiser role on themselves.
@policy.described("the appraiser of the appraisal its reflection went into")
def _appraiser_of_its_appraisal(actor: object, obj: object) -> bool:
    pid = policy.person_id(actor)
    if pid is None or obj is None:
        return False
    ids: list[int] = [
        i for i in (getattr(obj, "supporting_info_id", None), getattr(obj, "patient_supporting_info_id", None)) if i
    ]
    return bool(ids) and SupportingInfo.objects.filter(pk__in=ids, appraisal__appraiser_id=pid).exists()


policy.register(
    {
        Perm.START_FEEDBACK_EXERCISE: role(R.DOCTOR),
        Perm.VIEW_FEEDBACK_EXERCISE: any_of(DOCTOR, FACILITATOR),
        Perm.INVITE_COLLEAGUES: all_of(DOCTOR, state_is("open")),
        Perm.PRINT_PATIENT_CARDS: all_of(any_of(DOCTOR, FACILITATOR), state_is("open")),
        Perm.MANAGE_FEEDBACK_EXERCISE: FACILITATOR,
        Perm.RELEASE_FEEDBACK_REPORT: all_of(FACILITATOR, state_is("closed")),
        Perm.VIEW_FEEDBACK_REPORT: any_of(
            all_of(FACILITATOR, state_is("closed", "released")),
            all_of(DOCTOR, state_is("released")),
            all_of(_appraiser_of_its_appraisal, not_(DOCTOR), state_is("released")),
        ),
        Perm.REFLECT_ON_FEEDBACK: all_of(DOCTOR, state_is("released")),
        Perm.VIEW_FEEDBACK_STATUS: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
        Perm.MANAGE_FEEDBACK_ADMINISTRATORS: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
    }
)
