"""The catalogue of ДПП (дополнительные профессиональные программы): reference data below the
processes (ARCHITECTURE «The house in one picture»). ИОМ proposes programmes that address a
teacher's deficits from it; monitoring reads IND-07 over it. It imports orgstructure and
documents' machinery only, never a process."""
