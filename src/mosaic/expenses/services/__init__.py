"""Use cases of expenses: each owns its transaction through the unit of work."""

from mosaic.expenses.services.expenses import ExpenseService
from mosaic.expenses.services.imports import ExpenseImport, ImportRejected, ImportReport
from mosaic.expenses.services.registers import (
    DepartmentService,
    MemberService,
    ProjectService,
    RegisterService,
)
from mosaic.expenses.services.reports import ExpenseReports
from mosaic.expenses.services.rules import DuplicateName, RecordNotFound, StillReferenced

__all__ = [
    "DepartmentService",
    "DuplicateName",
    "ExpenseImport",
    "ExpenseReports",
    "ExpenseService",
    "ImportRejected",
    "ImportReport",
    "MemberService",
    "ProjectService",
    "RecordNotFound",
    "RegisterService",
    "StillReferenced",
]
