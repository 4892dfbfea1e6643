"""Who may see and change appraisals and revalidation (GMC; Medical Appraisal Guide 2022): appraisal content is
the doctor's and the appraiser's only; the responsible officer and the revalidation team see status, dates and
outputs."""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, not_, rel, role, state_is
from medlead.core.roles import Role as R
from medlead.organisation.permissions import OWN

policy.register(
    {
        # The responsible officer and the revalidation team (in medical staffing) see status, dates and outputs.
        Perm.VIEW_REVALIDATION: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR),
        Perm.MANAGE_APPRAISALS: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
        Perm.MAKE_RECOMMENDATIONS: role(R.RESPONSIBLE_OFFICER),
        Perm.VIEW_CONCERNS: role(R.RESPONSIBLE_OFFICER),
        Perm.VIEW_RO_REPORT: role(
            R.RESPONSIBLE_OFFICER, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.NON_EXECUTIVE, R.CHAIR_CEO
        ),
        Perm.VIEW_APPRAISAL_OUTPUTS: any_of(
            OWN, rel("appraiser_id"), role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR)
        ),
        # Appraisal content (inputs, reflections, declarations) is the doctor's and the appraiser's only.
        Perm.VIEW_APPRAISAL_CONTENT: any_of(OWN, rel("appraiser_id")),
        Perm.EDIT_APPRAISAL_INPUTS: OWN,
        Perm.EDIT_APPRAISAL_OUTPUTS: all_of(rel("appraiser_id"), not_(OWN)),
        Perm.SIGN_OFF_APPRAISAL: all_of(rel("appraiser_id"), not_(OWN)),
        Perm.ARRANGE_APPRAISAL: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
        # Whether a missed or incomplete appraisal is approved is the responsible officer's decision, never on their
        # own (their own responsible officer decides it).
        Perm.DECIDE_MISSED_APPRAISAL: all_of(role(R.RESPONSIBLE_OFFICER), not_(OWN), state_is("missed")),
    }
)
