"""The platform (to come): the platform desk and its simulated policies: deciding 平台介入
on the evidence and the rules, reviewing minors' tip refunds, campaign coupons."""
